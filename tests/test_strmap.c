/* test_strmap.c - the plugins' string map (plugins/common/strmap.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "skip_note.h"
#include "strmap.h"

static void test_add_get_and_set(void **state) {
  (void)state;
  strmap *m = strmap_new();
  assert_non_null(m);
  int a = 1, b = 2;
  char key[8] = "one";
  assert_int_equal(strmap_add(m, key, &a), 0);
  strcpy(key, "xxx");   /* the key was copied */
  assert_ptr_equal(strmap_get(m, "one"), &a);
  assert_null(strmap_get(m, "xxx"));
  assert_int_equal(strmap_add(m, "one", &b), -1);   /* present: unchanged */
  assert_ptr_equal(strmap_get(m, "one"), &a);
  assert_int_equal(strmap_set(m, "one", &b), 0);
  assert_ptr_equal(strmap_get(m, "one"), &b);
  assert_int_equal(strmap_set(m, "two", &a), 0);
  assert_ptr_equal(strmap_get(m, "two"), &a);
  assert_int_equal(strmap_add(m, "", &a), 0);   /* the empty key is a key */
  assert_ptr_equal(strmap_get(m, ""), &a);
  strmap_free(m);
  strmap_free(NULL);
}

static void test_pairs_are_not_their_concatenation(void **state) {
  (void)state;
  strmap *m = strmap_new();
  int a = 1, b = 2;
  assert_int_equal(strmap_add2(m, "ab", "c", &a), 0);
  assert_int_equal(strmap_add2(m, "a", "bc", &b), 0);
  assert_ptr_equal(strmap_get2(m, "ab", "c"), &a);
  assert_ptr_equal(strmap_get2(m, "a", "bc"), &b);
  assert_null(strmap_get(m, "abc"));
  assert_int_equal(strmap_add2(m, "ab", "c", &b), -1);
  strmap_free(m);
}

/* Many keys that differ only in a number, the case libxml2 2.9's hash
 * tables are slow on: all found, none confused. */
static void test_many_numbered_keys(void **state) {
  (void)state;
  strmap *m = strmap_new();
  char key[32];
  enum { N = 200000 };
  for (uintptr_t i = 1; i <= N; i++) {
    snprintf(key, sizeof key, "p-%lu", (unsigned long)i);
    assert_int_equal(strmap_add(m, key, (void *)i), 0);
  }
  for (uintptr_t i = 1; i <= N; i++) {
    snprintf(key, sizeof key, "p-%lu", (unsigned long)i);
    if (strmap_get(m, key) != (void *)i)
      fail_msg("%s lost", key);
  }
  assert_null(strmap_get(m, "p-0"));
  assert_null(strmap_get(m, "p-200001"));
  strmap_free(m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_add_get_and_set),
      cmocka_unit_test(test_pairs_are_not_their_concatenation),
      cmocka_unit_test(test_many_numbered_keys),
  };
  return test_main_status(cmocka_run_group_tests(tests, NULL, NULL));
}
