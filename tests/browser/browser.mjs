// What the pages' checks share (tests/browser/main.mjs): the headless
// Chromium they run in, and how a fact checked is said.
import { chromium } from 'playwright-core';

export function fail(what) {
	console.error(`FAILED: ${what}`);
	process.exit(1);
}

export function ok(what) {
	console.log(`ok  ${what}`);
}

export function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
		       '--disable-component-update', '--disable-sync'],
	});
}
