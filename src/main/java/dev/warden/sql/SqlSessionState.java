package dev.warden.sql;

/** TEMPORARY STUB on the policy branch (see StatementAnalyzer); drop at merge in favour of the real one. */
public final class SqlSessionState {
    public SqlSessionState() {}
}
