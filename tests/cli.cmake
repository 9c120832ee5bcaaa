# The quire command line, run as a user would run it.
quire_test(test_cli test_cli.c run_cmd.c test_files.c)
add_dependencies(test_cli quire-cli plugin_txt plugin_html plugin_epub
                 loader_plugin_corpus)
