/* loader.h - finding, checking and loading plugin shared objects. */
#ifndef QUIRE_CORE_LOADER_H
#define QUIRE_CORE_LOADER_H

#include "session.h"

/* Calls every plugin's fini, unloads them and empties the registry. */
void loader_unload_all(quire_session *s);

#endif
