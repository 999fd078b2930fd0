// MongoDB healthcheck for docker-compose: run with `mongosh --quiet --norc <this file>`.
// Idempotent: on the first run it initiates a single-member replica set (needed for change streams,
// which propagate config changes to gateway workers instantly); afterwards it only checks state.
// Exits 0 only when this node is the writable primary, so `depends_on: condition: service_healthy`
// starts the app when the database can take writes.
const setName = process.env.MONGO_REPLICA_SET || 'rs0';
// Must be the name the app uses to reach MongoDB (the compose service name).
const host = process.env.MONGO_REPLICA_HOST || 'mongo:27017';

try {
  rs.status();
} catch (error) {
  if (error.codeName !== 'NotYetInitialized' && error.code !== 94) throw error;
  rs.initiate({ _id: setName, members: [{ _id: 0, host }] });
  print(`initiated replica set ${setName} with member ${host}`);
}

quit(db.hello().isWritablePrimary ? 0 : 1);
