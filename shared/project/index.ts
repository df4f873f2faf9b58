/**
 * NN Studio projects, isomorphic part: the schemas, (de)serialisation of `.nnstudio` zips with
 * zip-slip and zip-bomb guards, migration of older versions, and building projects. The file
 * system side (atomic saves, the dataset's hash and location, recovery) is main/projects.
 */
export * from './codec.js';
export * from './create.js';
export * from './errors.js';
export * from './ipc.js';
export * from './migrate.js';
export * from './schema.js';
export { DEFAULT_ZIP_LIMITS, listZip, readZipEntry, writeZip, type ZipLimits } from './zip.js';
