// A small node-postgres session, printed as JSON so that runs against PostgreSQL and through Warden
// can be compared byte for byte. DATABASE_URL says where to connect.
'use strict';
const { Client } = require('pg');

async function main() {
  const client = new Client({ connectionString: process.env.DATABASE_URL });
  const transcript = [];
  const record = (label, result) => transcript.push({
    label,
    command: result.command,
    rowCount: result.rowCount,
    fields: result.fields.map((field) => [field.name, field.dataTypeID, field.format]),
    rows: result.rows,
  });
  const failure = (label, error) => transcript.push({
    label,
    code: error.code,
    severity: error.severity,
    message: error.message,
    detail: error.detail,
    position: error.position,
    constraint: error.constraint,
  });
  const expectError = async (label, query, values) => {
    try {
      await client.query(query, values);
      transcript.push({ label, unexpected: 'no error' });
    } catch (error) {
      failure(label, error);
    }
  };

  await client.connect();
  try {
    record('create', await client.query(
      'CREATE TEMP TABLE notes (id serial PRIMARY KEY, body text UNIQUE, amount numeric, at timestamptz,'
      + ' data bytea, tags text[], doc jsonb)'));
    record('insert', await client.query(
      'INSERT INTO notes (body, amount, at, data, tags, doc) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, body',
      ['first', '1.50', new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), Buffer.from([0, 1, 255, 92]), ['a', 'b,c'], { k: [1, 2] }]));
    for (let run = 0; run < 3; run += 1) {
      // A named statement: Parse once, then Bind/Execute on later runs.
      record(`named ${run}`, await client.query({
        name: 'notes-after',
        text: 'SELECT id, body, amount, at, data, tags, doc FROM notes WHERE id > $1',
        values: [run - 1],
      }));
    }
    record('array rows', await client.query({ text: 'SELECT 1 AS a, 2 AS a, NULL::int AS n', rowMode: 'array' }));

    await client.query('BEGIN');
    record('in transaction', await client.query('INSERT INTO notes (body) VALUES ($1)', ['second']));
    await expectError('duplicate', 'INSERT INTO notes (body) VALUES ($1)', ['first']);
    await expectError('aborted', 'SELECT 1');
    record('rollback', await client.query('ROLLBACK'));
    await client.query('BEGIN');
    await client.query("INSERT INTO notes (body) VALUES ('third')");
    record('commit', await client.query('COMMIT'));

    await expectError('division', 'SELECT 1 / 0');
    await expectError('bad parameter', 'SELECT $1::int', ['not a number']);
    await expectError('syntax', 'SELEC 1');
    // Without parameters node-postgres uses the simple protocol, so several statements may share a query.
    const results = await client.query("SELECT 'one' AS x; SELECT 'two' AS y");
    results.forEach((result, index) => record(`multi ${index}`, result));

    await client.query('LISTEN node_channel');
    const notified = new Promise((resolve) => client.once('notification', resolve));
    await client.query("NOTIFY node_channel, 'hello from node'");
    const notification = await notified;
    transcript.push({ label: 'notification', channel: notification.channel, payload: notification.payload });

    record('final', await client.query("SELECT count(*)::int AS n, string_agg(body, ',' ORDER BY id) AS bodies FROM notes"));
  } finally {
    await client.end();
  }
  process.stdout.write(`${JSON.stringify(transcript, null, 1)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
