# The EPUB reader's model: chapters with ids, links to ids, resources,
# metadata and notes, on books made here and on the peer suites (whose
# package documents libxml2 reads as the oracle).
pkg_check_modules(TEST_MODEL_LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(TEST_MODEL_LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
quire_test(test_epub_read_model test_epub_read_model.c session_fixture.c
           epub_book.c)
target_link_libraries(test_epub_read_model PRIVATE PkgConfig::TEST_MODEL_LIBZIP
                      PkgConfig::TEST_MODEL_LIBXML2)
add_dependencies(test_epub_read_model plugin_epub plugin_html)
if(TARGET quire_notes)
  target_compile_definitions(test_epub_read_model PRIVATE HAVE_NOTES=1)
endif()
