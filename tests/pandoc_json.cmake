# The pandoc-json format: pandoc's documents read keeping every word,
# quire's documents rendered by pandoc, round trips through pandoc, API
# versions, degraded elements, broken input.  The tests that run pandoc
# skip where it is missing (scripts/debian-packages.txt installs it).
pkg_check_modules(TEST_PANDOC_JANSSON REQUIRED IMPORTED_TARGET jansson)
quire_test(test_pandoc_json test_pandoc_json.c model_dump.c pandoc_run.c
           run_cmd.c session_fixture.c text_words.c)
target_link_libraries(test_pandoc_json PRIVATE PkgConfig::TEST_PANDOC_JANSSON)
add_dependencies(test_pandoc_json quire-cli plugin_pandoc plugin_txt
                 plugin_html)
