# The EPUB reader: books made by pandoc, calibre and quire, books made in
# the test with libzip (broken and hostile ones too), and the peer suites.
pkg_check_modules(TEST_LIBZIP REQUIRED IMPORTED_TARGET libzip)
quire_test(test_epub_read test_epub_read.c doc_dump.c session_fixture.c
           epub_book.c)
target_link_libraries(test_epub_read PRIVATE PkgConfig::TEST_LIBZIP)
add_dependencies(test_epub_read plugin_epub plugin_html plugin_txt)
# calibre is not installed by scripts/install-deps (it pulls in some 300
# packages): its test is an entry of its own, which skips where calibre is
# missing without hiding that the rest ran.
set_tests_properties(test_epub_read PROPERTIES
  ENVIRONMENT QUIRE_TEST_SKIP=test_calibre_book_keeps_every_word)
add_test(NAME test_epub_read_calibre COMMAND test_epub_read)
set_tests_properties(test_epub_read_calibre PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  ENVIRONMENT QUIRE_TEST_ONLY=test_calibre_book_keeps_every_word
  SKIP_RETURN_CODE 77)
