# The plugins' string map (plugins/common/strmap.c), linked as they link it.
quire_test(test_strmap test_strmap.c)
target_link_libraries(test_strmap PRIVATE quire_strmap)
