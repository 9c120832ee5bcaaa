/* no_entry.c - a well-formed shared object that is not a quire plugin. */
#include <quire/plugin.h>

QUIRE_EXPORT int no_entry_answer(void) { return 42; }
