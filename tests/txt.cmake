pkg_check_modules(TEST_UTF8PROC REQUIRED IMPORTED_TARGET libutf8proc)
quire_test(test_txt test_txt.c doc_dump.c text_words.c session_fixture.c)
target_link_libraries(test_txt PRIVATE PkgConfig::TEST_UTF8PROC)
add_dependencies(test_txt plugin_txt)
