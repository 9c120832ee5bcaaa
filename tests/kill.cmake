# No temporary output survives a SIGKILL (docs/reliability.md).
quire_test(test_kill test_kill.c test_files.c)
add_dependencies(test_kill quire-cli plugin_txt plugin_json plugin_html
                 plugin_epub)
