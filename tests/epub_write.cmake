# The EPUB writer: books epubcheck accepts (when Java and epubcheck are
# installed), the container's bytes, reproducibility, options, failure.
pkg_check_modules(TEST_EPUB_ZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(TEST_EPUB_XML REQUIRED IMPORTED_TARGET libxml-2.0)
quire_test(test_epub_write test_epub_write.c run_cmd.c)
target_link_libraries(test_epub_write PRIVATE PkgConfig::TEST_EPUB_ZIP
                      PkgConfig::TEST_EPUB_XML)
add_dependencies(test_epub_write quire-cli plugin_txt plugin_html plugin_epub)
# epubcheck starts a Java VM per book, a few seconds each.
set_tests_properties(test_epub_write PROPERTIES TIMEOUT 900)
