// The compose stack's MongoDB roles and users (docs/operations.md "MongoDB: databases and users"):
// one user per database, as MongoDB adds up a user's privileges, so the access log's user can
// only add and read entries and the keys' user can never remove a tombstone. Run by the
// `mongo-users` service on every start: creates what is missing, updates roles and passwords.
/* global db, print, process */
const admin = db.getSiblingDB('admin');

const roles = [
  {
    role: 'wihKeys',
    privileges: [{ resource: { db: 'wih_keys', collection: 'data_keys' }, actions: ['find', 'insert', 'update', 'createIndex', 'createCollection'] }],
  },
  {
    role: 'wihAccessLog',
    privileges: [{ resource: { db: 'wih_access_log', collection: 'access_log' }, actions: ['find', 'insert', 'listIndexes', 'createIndex', 'createCollection'] }],
  },
];
for (const { role, privileges } of roles) {
  if (admin.getRole(role)) admin.updateRole(role, { privileges, roles: [] });
  else admin.createRole({ role, privileges, roles: [] });
}

const users = [
  { user: 'wih_read', password: 'WIH_READ_PASSWORD', roles: [{ role: 'readWrite', db: 'wohnintegrationshilfe' }] },
  { user: 'wih_keys', password: 'WIH_KEYS_PASSWORD', roles: [{ role: 'wihKeys', db: 'admin' }] },
  { user: 'wih_access_log', password: 'WIH_ACCESS_LOG_PASSWORD', roles: [{ role: 'wihAccessLog', db: 'admin' }] },
];
for (const { user, password, roles: granted } of users) {
  const pwd = process.env[password];
  if (!pwd) throw new Error(`${password} is not set`);
  if (admin.getUser(user)) admin.updateUser(user, { pwd, roles: granted });
  else admin.createUser({ user, pwd, roles: granted });
}
print(`MongoDB users ready: ${users.map(({ user }) => user).join(', ')}`);
