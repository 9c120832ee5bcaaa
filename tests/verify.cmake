# quire verify: bags made in the test as RFC 8493 says, as folders and
# packed with libarchive into tar.gz and zip, broken one way at a time;
# another tool's md5 and sha1 bag; quire bundle's bags; bagit.py's where it
# is installed.
pkg_check_modules(TEST_VERIFY_ARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(TEST_VERIFY_NETTLE REQUIRED IMPORTED_TARGET nettle)
quire_test(test_verify test_verify.c run_cmd.c test_files.c)
target_link_libraries(test_verify PRIVATE PkgConfig::TEST_VERIFY_ARCHIVE
                      PkgConfig::TEST_VERIFY_NETTLE)
add_dependencies(test_verify quire-cli)
# quire bundle's bags need the bag writer and the writers it renders with;
# without the bag plugin that test skips.
foreach(plugin plugin_bag plugin_txt plugin_html plugin_json plugin_epub)
  if(TARGET ${plugin})
    add_dependencies(test_verify ${plugin})
  endif()
endforeach()
# bagit.py is not packaged in Debian 12: its test is an entry of its own,
# which skips where bagit.py is missing without hiding that the rest ran.
set_tests_properties(test_verify PROPERTIES
  ENVIRONMENT QUIRE_TEST_SKIP=test_bag_of_bagit_py_verifies)
add_test(NAME test_verify_bagit_py COMMAND test_verify)
set_tests_properties(test_verify_bagit_py PROPERTIES
  WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  ENVIRONMENT QUIRE_TEST_ONLY=test_bag_of_bagit_py_verifies
  SKIP_RETURN_CODE 77)
