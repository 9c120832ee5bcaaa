# test_pandoc_model2: the pandoc-json format maps Model 2 one to one to
# pandoc's AST: pandoc's documents of every element come back as they were,
# quire's documents of every node come back from pandoc-json, pandoc
# renders what quire writes (notes, definition lists, table spans), and
# pandoc's test suite comes back as pandoc wrote it but for what
# docs/formats/pandoc-json.md lists as lost.  Skips what needs pandoc or
# ../shared/peers where they are missing.
pkg_check_modules(TEST_PANDOC2_JANSSON REQUIRED IMPORTED_TARGET jansson)
quire_test(test_pandoc_model2 test_pandoc_model2.c conv.c model_dump.c
           pandoc_run.c run_cmd.c session_fixture.c)
target_link_libraries(test_pandoc_model2 PRIVATE
                      PkgConfig::TEST_PANDOC2_JANSSON)
add_dependencies(test_pandoc_model2 plugin_pandoc plugin_json)
