# The EPUB reader: books made by pandoc, calibre and quire, books made in
# the test with libzip (broken and hostile ones too), and the peer suites.
pkg_check_modules(TEST_LIBZIP REQUIRED IMPORTED_TARGET libzip)
quire_test(test_epub_read test_epub_read.c doc_dump.c session_fixture.c)
target_link_libraries(test_epub_read PRIVATE PkgConfig::TEST_LIBZIP)
add_dependencies(test_epub_read plugin_epub plugin_html plugin_txt)
