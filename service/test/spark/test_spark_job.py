"""Unit tests of spark_job.py's translation and connection helpers (no JVM needed).

Run with the Spark venv's Python:
    $(dirname "$FSTORE_SPARK_SUBMIT")/python -m unittest discover -s service/test/spark -v
"""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "src", "transforms", "spark"))

from spark_job import JobError, jdbc_options, to_spark_sql  # noqa: E402


class TranslationTest(unittest.TestCase):
    """The DuckDB constructs FStore's tests and docs rely on, translated to Spark SQL."""

    def test_strftime_becomes_date_format_with_a_java_pattern(self):
        self.assertEqual(to_spark_sql("SELECT strftime(t, '%Y-%m-%d %H:%M') AS d FROM x"), "SELECT DATE_FORMAT(t, 'yyyy-MM-dd HH:mm') AS d FROM x")

    def test_date_trunc_and_casts(self):
        self.assertEqual(to_spark_sql("SELECT date_trunc('day', t) AS d, x::DOUBLE AS y FROM s"), "SELECT DATE_TRUNC('DAY', t) AS d, CAST(x AS DOUBLE) AS y FROM s")

    def test_aggregates_and_lists(self):
        self.assertEqual(
            to_spark_sql("SELECT k, count(DISTINCT v) AS n, list(v) AS vs, arg_max(v, t) AS last_v FROM s GROUP BY k"),
            "SELECT k, COUNT(DISTINCT v) AS n, COLLECT_LIST(v) AS vs, MAX_BY(v, t) AS last_v FROM s GROUP BY k",
        )

    def test_windows_keep_duckdbs_null_ordering(self):
        # DuckDB sorts NULLs last, Spark first: the translation spells DuckDB's order out.
        sql = "SELECT k, sum(v) OVER (PARTITION BY k ORDER BY t ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS s7 FROM s"
        self.assertEqual(to_spark_sql(sql), "SELECT k, SUM(v) OVER (PARTITION BY k ORDER BY t NULLS LAST ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS s7 FROM s")

    def test_a_trailing_semicolon_is_fine(self):
        self.assertEqual(to_spark_sql("SELECT 1 AS one;\n"), "SELECT 1 AS one")


class RejectionTest(unittest.TestCase):
    def assert_rejected(self, sql, pattern):
        with self.assertRaises(JobError) as caught:
            to_spark_sql(sql)
        self.assertEqual(caught.exception.code, "SQL")
        self.assertRegex(caught.exception.message, pattern)

    def test_empty(self):
        self.assert_rejected("  ;", "empty")

    def test_two_statements(self):
        self.assert_rejected("SELECT 1; SELECT 2", "2 statements")

    def test_not_a_select(self):
        self.assert_rejected("DELETE FROM s", "Only SELECT")

    def test_syntax_error_names_the_line(self):
        self.assert_rejected("SELECT k\nFROM s WHERE (k = ", r"line 2")


class JdbcOptionsTest(unittest.TestCase):
    def test_url_user_and_escaped_password(self):
        options = jdbc_options("postgres://fstore:p%40ss@db.example:6543/shop?sslmode=require")
        self.assertEqual(options["url"], "jdbc:postgresql://db.example:6543/shop?sslmode=require")
        self.assertEqual(options["user"], "fstore")
        self.assertEqual(options["password"], "p@ss")

    def test_defaults(self):
        self.assertEqual(jdbc_options("postgresql://localhost/")["url"], "jdbc:postgresql://localhost:5432/postgres")

    def test_other_schemes_are_refused(self):
        with self.assertRaises(JobError):
            jdbc_options("mysql://localhost/db")


if __name__ == "__main__":
    unittest.main()
