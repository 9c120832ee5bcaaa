# Allocation failure: every allocation of a conversion failed in turn
# (test_alloc_fail.c).  The sanitizers replace malloc themselves: the test
# is built in the other builds only.
if(NOT QUIRE_SANITIZE AND NOT QUIRE_TSAN)
  quire_test(test_alloc_fail test_alloc_fail.c fail_alloc.c)
  pkg_check_modules(LIBXML2 REQUIRED IMPORTED_TARGET libxml-2.0)
  target_link_libraries(test_alloc_fail PRIVATE PkgConfig::LIBXML2)
  add_dependencies(test_alloc_fail plugin_txt plugin_html plugin_epub
                   plugin_json plugin_pandoc plugin_bag plugin_clean)
  set_tests_properties(test_alloc_fail PROPERTIES LABELS faults)
endif()
