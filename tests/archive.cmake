# The archive plugin (formats archive and warc): archives and WARC files
# made in the test with libarchive's writer, the limits, hostile names,
# and the peer suite of malicious archives, read by the quire command.
pkg_check_modules(TEST_LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
quire_test(test_archive test_archive.c run_cmd.c test_files.c)
target_link_libraries(test_archive PRIVATE PkgConfig::TEST_LIBARCHIVE)
add_dependencies(test_archive quire-cli plugin_archive plugin_txt plugin_html
                 plugin_epub plugin_json plugin_clean)
