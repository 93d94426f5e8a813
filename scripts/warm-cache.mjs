// Compiles the embedded public databases (DB-IP city geo, the ASN registry; IPv4 and IPv6) into siftlog's
// cache folder at install time (`npm ci` runs it after building), so the first `siftlog ingest` does not
// spend ~15 s compiling them. Never fails the install: whatever is not compiled here the first run compiles.
try {
  const { embeddedGeoFiles } = await import('../dist/enrich/geo.js');
  const { cachedGeoTables } = await import('../dist/enrich/geo-cache.js');
  const { AsnLookup } = await import('../dist/enrich/asn.js');
  const { defaultCacheDir } = await import('../dist/enrich/asn-cache.js');
  const cacheDir = defaultCacheDir();
  const files = embeddedGeoFiles('dbip');
  const started = Date.now();
  cachedGeoTables(files.ipv4, cacheDir);
  cachedGeoTables(files.ipv6, cacheDir);
  (await AsnLookup.open(undefined, cacheDir)).lookupV6(0n);
  console.error(`siftlog: embedded geo and ASN databases ready in ${cacheDir} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (err) {
  console.error(`siftlog: the embedded databases were not compiled now (the first ingest will): ${err instanceof Error ? err.message : err}`);
}
