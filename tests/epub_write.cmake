# The EPUB writer: books epubcheck accepts (when Java and epubcheck are
# installed), the container's bytes, reproducibility, options, failure.
pkg_check_modules(TEST_EPUB_ZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(TEST_EPUB_XML REQUIRED IMPORTED_TARGET libxml-2.0)
quire_test(test_epub_write test_epub_write.c run_cmd.c test_files.c
           epubcheck_run.c)
target_link_libraries(test_epub_write PRIVATE PkgConfig::TEST_EPUB_ZIP
                      PkgConfig::TEST_EPUB_XML)
add_dependencies(test_epub_write quire-cli plugin_txt plugin_html plugin_epub)

# epubcheck checks one book per run, and each run starts a Java VM: seconds.
# EpubcheckEach checks all the test's books in one VM.  It needs javac;
# without it the test starts one VM per book.  --release 8: epubcheck 4.2
# runs on Java 8, and the class must load in whatever java is on PATH.
find_package(Java COMPONENTS Development QUIET)
if(Java_JAVAC_EXECUTABLE)
  set(QUIRE_EPUBCHECK_EACH_DIR ${CMAKE_CURRENT_BINARY_DIR}/java)
  add_custom_command(
    OUTPUT ${QUIRE_EPUBCHECK_EACH_DIR}/EpubcheckEach.class
    COMMAND ${Java_JAVAC_EXECUTABLE} --release 8 -Xlint:-options
            -d ${QUIRE_EPUBCHECK_EACH_DIR}
            ${CMAKE_CURRENT_SOURCE_DIR}/EpubcheckEach.java
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/EpubcheckEach.java
    COMMENT "Compiling EpubcheckEach.java")
  add_custom_target(epubcheck_each
    DEPENDS ${QUIRE_EPUBCHECK_EACH_DIR}/EpubcheckEach.class)
  add_dependencies(test_epub_write epubcheck_each)
  target_compile_definitions(test_epub_write PRIVATE
    EPUBCHECK_EACH_DIR="${QUIRE_EPUBCHECK_EACH_DIR}")
endif()
set_tests_properties(test_epub_write PROPERTIES TIMEOUT 900)
