# The HTML and XHTML writers on Model 2: every node type, attributes and
# their safety, notes, and the images documents carry (extracted or
# embedded), in memory through the plugin and through the core and CLI.
pkg_check_modules(TEST_HTML_WRITE_LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
quire_test(test_html_write_model test_html_write_model.c run_cmd.c
           test_files.c session_fixture.c)
target_link_libraries(test_html_write_model PRIVATE
                      PkgConfig::TEST_HTML_WRITE_LIBXML2 ${CMAKE_DL_LIBS})
add_dependencies(test_html_write_model plugin_html plugin_json quire-cli)
