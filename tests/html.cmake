# The HTML plugin: reader, writer, round trips, html5lib robustness.
pkg_check_modules(TEST_LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
quire_test(test_html test_html.c doc_dump.c text_words.c session_fixture.c)
target_link_libraries(test_html PRIVATE PkgConfig::TEST_LIBXML2 ${CMAKE_DL_LIBS})
add_dependencies(test_html plugin_html plugin_txt)
