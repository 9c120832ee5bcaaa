# The plugin loader, with test plugins of its own.  They go to
# tests/plugins in the build tree, never to lib/quire/plugins, so neither
# the build's quire nor any other test finds them by default.
set(QUIRE_TEST_PLUGIN_OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/plugins)

# quire_loader_test_plugin(NAME SOURCES...): NAME.so in the test plugin
# folder, built like a real plugin (hidden symbols, nothing of quire linked).
function(quire_loader_test_plugin name)
  add_library(loader_plugin_${name} MODULE ${ARGN})
  target_include_directories(loader_plugin_${name} PRIVATE
                             ${PROJECT_SOURCE_DIR}/include)
  set_target_properties(loader_plugin_${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${name}
    C_VISIBILITY_PRESET hidden
    LIBRARY_OUTPUT_DIRECTORY ${QUIRE_TEST_PLUGIN_OUTPUT_DIR})
  target_link_options(loader_plugin_${name} PRIVATE -Wl,--no-undefined)
  set(QUIRE_LOADER_TEST_PLUGINS ${QUIRE_LOADER_TEST_PLUGINS}
      loader_plugin_${name} PARENT_SCOPE)
endfunction()

set(QUIRE_LOADER_TEST_PLUGINS)
quire_loader_test_plugin(good plugins/good.c)
quire_loader_test_plugin(shadow plugins/shadow.c)
quire_loader_test_plugin(other_major plugins/other_major.c)
quire_loader_test_plugin(newer_minor plugins/newer_minor.c)
quire_loader_test_plugin(older_size plugins/older_size.c)
quire_loader_test_plugin(no_entry plugins/no_entry.c)
quire_loader_test_plugin(init_fails plugins/init_fails.c)
quire_loader_test_plugin(malformed_reader plugins/malformed.c)
target_compile_definitions(loader_plugin_malformed_reader PRIVATE
                           MALFORMED_READER)
quire_loader_test_plugin(malformed_name plugins/malformed.c)
target_compile_definitions(loader_plugin_malformed_name PRIVATE
                           MALFORMED_FORMAT_NAME)
quire_loader_test_plugin(malformed_plugin_name plugins/malformed.c)
target_compile_definitions(loader_plugin_malformed_plugin_name PRIVATE
                           MALFORMED_PLUGIN_NAME)

# A text file that only looks like a plugin by its name.
file(WRITE ${QUIRE_TEST_PLUGIN_OUTPUT_DIR}/not_elf.so
     "This is a text file, not a shared object.\n")

quire_test(test_loader test_loader.c)
add_dependencies(test_loader ${QUIRE_LOADER_TEST_PLUGINS})
