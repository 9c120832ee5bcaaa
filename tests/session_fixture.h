/* session_fixture.h - what the in-process conversion tests share: a
 * session with the build's plugins, the warnings it gave, and a temporary
 * folder removed after each test. */
#ifndef QUIRE_TEST_SESSION_FIXTURE_H
#define QUIRE_TEST_SESSION_FIXTURE_H

#include <quire/quire.h>

typedef struct fixture {
  quire_session *s;
  char dir[64];                 /* the test's temporary folder */
  char warnings[16384];         /* every warning, each followed by ';' */
  int n_warnings;
  unsigned long last_line;      /* location of the last warning */
  unsigned long long last_offset;
} fixture;

/* cmocka setup and teardown: *state is a fixture. */
int fixture_setup(void **state);
int fixture_teardown(void **state);

#endif
