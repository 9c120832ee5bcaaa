# Conversions on several threads at once.  scripts/test also runs it from a
# build with -fsanitize=thread (QUIRE_TSAN), where a data race fails it.
find_package(Threads REQUIRED)
quire_test(test_threads test_threads.c)
target_link_libraries(test_threads PRIVATE Threads::Threads)
add_dependencies(test_threads plugin_txt plugin_html plugin_epub)
set_tests_properties(test_threads PROPERTIES LABELS threads)
