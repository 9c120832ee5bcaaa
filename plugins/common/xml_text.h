/* xml_text.h - text written with libxml2's xmlTextWriter, without the
 * characters XML 1.0 cannot hold.
 *
 * XML 1.0 cannot hold most control characters, and HTML forbids them too;
 * invalid UTF-8 would make a file unreadable.  Such characters are dropped
 * and counted, for the writer's warning.  Shared by the plugins that write
 * XML (the html plugin's renderer, the EPUB package files), so a title
 * reads the same in a chapter and in the book's table of contents.  Not a
 * plugin: part of the static library quire_xml_safe. */
#ifndef QUIRE_XML_TEXT_H
#define QUIRE_XML_TEXT_H

#include <stddef.h>

#include <libxml/xmlwriter.h>

/* Scratch space, reused from one text to the next.  Zero-initialize. */
typedef struct xml_text {
  char *clean;               /* the text with unwritable characters gone */
  size_t cap;
  size_t dropped;            /* characters dropped so far */
} xml_text;

/* Writes s[0..n) to w as escaped text, or as the value of attribute `name`
 * when name is not NULL.  Text (name NULL) must go into an element's
 * content, not between xmlTextWriterStartAttribute and its end.  s[n] must be readable: text that has its NUL
 * there is written without a copy; any other byte makes a NUL-terminated
 * copy first.  Returns 0, or -1 when w or memory failed. */
int xml_text_write(xml_text *t, xmlTextWriterPtr w, const char *name,
                   const char *s, size_t n);

/* libxml2 2.9 loses text when an allocation fails inside some of its
 * writer's calls and still returns success (xmlTextWriterWriteString when
 * escaping fails); it records the failure only as the thread's last error.
 * A writer calls xml_memory_watch() before writing and fails when
 * xml_memory_failed() says that happened since. */
void xml_memory_watch(void);
int xml_memory_failed(void);

/* Frees the scratch space and empties t. */
void xml_text_free(xml_text *t);

#endif
