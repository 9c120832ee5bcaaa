# Runs through the public API: formats in formats (the example pack plugin
# of docs/examples), memory and streams, graded results, keep_going and
# strict, corpus transforms, options and metadata.  The plugins they load
# by path are built as loader test plugins (loader.cmake comes first).
quire_loader_test_plugin(pack ${PROJECT_SOURCE_DIR}/docs/examples/pack.c)
quire_loader_test_plugin(corpus plugins/corpus.c)
quire_test(test_compose test_compose.c session_fixture.c)
add_dependencies(test_compose loader_plugin_pack plugin_txt plugin_html
                 plugin_epub)
quire_test(test_runs test_runs.c session_fixture.c)
add_dependencies(test_runs loader_plugin_corpus plugin_txt plugin_html
                 plugin_epub)
