# install: `cmake --install` into a scratch prefix, then the installed files,
# the out-of-tree builds of docs/examples/upper.c and docs/examples/pack.c
# through pkg-config, the installed quire with them (a format, a transform,
# a container that reads sub-inputs and renders through another writer) and
# on its own, and the generated man page against `quire --help`.  See
# install_example.sh.
add_test(NAME install
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/install_example.sh
                 ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(install PROPERTIES
  ENVIRONMENT "CMAKE=${CMAKE_COMMAND}"
  TIMEOUT 300)
