/* xml_safe.h - XML parsed safely, for the plugins that parse XML (XHTML,
 * EPUB's package files).
 *
 * This is not a plugin: it is a static library, quire_xml_safe, that such
 * plugins link into themselves.  It depends on libxml2 and the C library
 * only, so that no plugin compiles another plugin's sources. */
#ifndef QUIRE_XML_SAFE_H
#define QUIRE_XML_SAFE_H

#include <stddef.h>

#include <libxml/tree.h>

/* Parses XML bytes with the network off, no DTD loaded and no entity
 * expanded.  html_chars: HTML's named characters (&nbsp;) are understood,
 * as in XHTML.  url names the document in libxml2's own records.  Returns
 * the tree (the caller frees it with xmlFreeDoc) or NULL; *well_formed and
 * msg (the first problem, at *line; "out of memory" when the parser could
 * not even start) describe what the parser met.  Thread-safe once
 * xmlInitParser() has run. */
xmlDoc *xml_safe_parse(const char *bytes, size_t len, const char *url,
                       int html_chars, int *well_formed, char *msg,
                       size_t msg_size, unsigned long *line);

#endif
