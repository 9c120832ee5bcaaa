# test_bench_corpus: the benchmark's synthetic corpus is reproducible, of
# the size asked for, and compresses like prose (tests/bench_corpus_check.py).
add_test(NAME test_bench_corpus
         COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/bench_corpus_check.py
                 ${PROJECT_SOURCE_DIR})
