package dev.warden.masking;

import java.util.List;

/**
 * Columns masked for every identity, whatever the policy says and whoever is exempt: credentials
 * and text that can quote other sessions' statements. Reading most of them needs superuser, which
 * Warden's upstream role should not be; they are masked anyway, in case it is.
 */
public final class BuiltInMaskingRules {

    public static final List<ColumnRule> COLUMNS = List.of(
            ColumnRule.whole("pg_catalog", "pg_authid", "rolpassword", MaskStrategy.NULL),
            ColumnRule.whole("pg_catalog", "pg_shadow", "passwd", MaskStrategy.NULL),
            ColumnRule.whole("pg_catalog", "pg_user_mapping", "umoptions", MaskStrategy.NULL),
            ColumnRule.whole("pg_catalog", "pg_user_mappings", "umoptions", MaskStrategy.NULL),
            ColumnRule.whole("pg_catalog", "pg_foreign_server", "srvoptions", MaskStrategy.NULL),
            ColumnRule.whole("pg_catalog", "pg_subscription", "subconninfo", MaskStrategy.NULL),
            // Other sessions' statements quote their literals: a masked value in a WHERE clause.
            ColumnRule.whole("pg_catalog", "pg_stat_activity", "query", MaskStrategy.FULL));

    private BuiltInMaskingRules() {}
}
