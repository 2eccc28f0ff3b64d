/**
 * Durable storage of session records: {@link dev.warden.store.RecordStore} (SQLite or PostgreSQL,
 * one schema, Flyway migrations under {@code db/migration}) and the {@link dev.warden.store.RecordWriter}
 * that the gateway's event loops submit to.
 *
 * <p>Choices, and why:
 * <ul>
 * <li>One JDBC implementation with the vendor detail in {@code StoreConnector}: the SQL is portable
 *     (TEXT, BIGINT, {@code INSERT ... ON CONFLICT DO NOTHING}, which SQLite and PostgreSQL spell alike).</li>
 * <li>Bodies are TEXT, not jsonb: the stored bytes must be the hashed bytes.</li>
 * <li>{@code warden_sessions} is derived from the records in the same transaction; it is an index
 *     for listing and can be rebuilt from the records, which alone are evidence.</li>
 * <li>Appends are idempotent (a record already stored with the same hash is accepted again, with no
 *     double counting), so a batch whose COMMIT was lost with its connection can be resubmitted, and
 *     the store retries once by itself on a fresh connection when PostgreSQL drops one.</li>
 * <li>No connection pool: one connection writes (there is one writer by design; more would only
 *     contend for SQLite's single write lock) and one reads. A failed connection is replaced on the
 *     next call, which is how the store recovers after an outage.</li>
 * <li>Pruning deletes whole sessions, records before the row, a few hundred sessions per transaction,
 *     so the chains that remain verify and the write lock is never held for long.</li>
 * </ul>
 */
package dev.warden.store;
