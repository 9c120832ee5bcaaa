pkg_check_modules(TEST_JANSSON REQUIRED IMPORTED_TARGET jansson)
quire_test(test_json test_json.c session_fixture.c)
target_link_libraries(test_json PRIVATE PkgConfig::TEST_JANSSON)
add_dependencies(test_json plugin_json plugin_txt plugin_html plugin_epub)
