/* verify.h - the command "quire verify BUNDLE": whether a BagIt bag, in an
 * archive or a folder, is complete and valid. */
#ifndef QUIRE_CLI_VERIFY_H
#define QUIRE_CLI_VERIFY_H

/* Runs the command with argv[0] "verify" and its arguments after; returns
 * the exit status: 0 for a valid bag, 1 for one that is not (or when
 * memory runs out), 2 for a usage error or a bundle that cannot be
 * opened. */
int quire_verify_main(int argc, char **argv);

#endif
