package dev.warden.sql;

import java.util.List;

/** Analyses a statement embedded in another (EXPLAIN, PREPARE, COPY (query), CREATE TABLE AS, DECLARE). */
interface NestedStatements {
    StatementAnalysis analyzeTokens(List<Token> tokens);
}
