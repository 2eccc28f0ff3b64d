package dev.warden.masking;

/**
 * One column of a result as RowDescription describes it.
 *
 * @param tableOid the source table (or view) OID PostgreSQL reports for a plain column reference; 0
 *     for a computed column
 * @param attribute the source column's attnum; 0 for a whole-row reference or a computed column
 * @param binary the column is sent in binary format
 */
public record ResultColumn(long tableOid, int attribute, long typeOid, boolean binary) {}
