# test_json_model2: quire's json format carries every node, field and
# attribute of Model 2 and a document's resources with their bytes
# (version 1.1), and refuses what is not such a document, naming the line
# and column at fault.  See docs/formats/json.md.
pkg_check_modules(TEST_JSON2_JANSSON REQUIRED IMPORTED_TARGET jansson)
pkg_check_modules(TEST_JSON2_NETTLE REQUIRED IMPORTED_TARGET nettle)
quire_test(test_json_model2 test_json_model2.c conv.c model_dump.c
           session_fixture.c)
target_link_libraries(test_json_model2 PRIVATE PkgConfig::TEST_JSON2_JANSSON
                      PkgConfig::TEST_JSON2_NETTLE)
add_dependencies(test_json_model2 plugin_json plugin_txt)
