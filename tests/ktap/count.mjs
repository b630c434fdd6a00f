// Reads a KTAP file with npm's tap-parser (someone else's TAP reader) and
// prints the verdict counts it finds, one "verdict count" a line, sorted:
//   node count.mjs KTAP_FILE
// KTAP's directives beyond TAP's SKIP (XFAIL, XPASS, ERROR) stay in the
// test's name for a TAP parser; that is where they are read from.  Exits 1
// when the file does not parse as TAP or a plan is not kept.
import { readFileSync } from 'node:fs';
import { Parser } from 'tap-parser';

const counts = { pass: 0, fail: 0, xfail: 0, xpass: 0, skip: 0, error: 0 };
const problems = [];
let subtests = 0;

function verdict(r) {
	const directive = / # (XFAIL|XPASS|ERROR)\b/.exec(r.name || '');
	if (r.skip)
		return 'skip';
	if (directive)
		return directive[1].toLowerCase();
	return r.ok ? 'pass' : 'fail';
}

function watch(parser, depth) {
	parser.on('assert', r => {
		if (depth === 1)
			counts[verdict(r)]++;
	});
	parser.on('child', child => {
		subtests++;
		watch(child, depth + 1);
	});
	parser.on('complete', r => {
		if (r.plan.end !== null && r.plan.end !== r.count)
			problems.push(`depth ${depth}: plan 1..${r.plan.end}, ${r.count} results`);
		for (const f of r.failures || [])
			if (f.tapError)
				problems.push(`depth ${depth}: ${f.tapError}`);
	});
}

const parser = new Parser();
watch(parser, 0);
parser.end(readFileSync(process.argv[2], 'utf8'));
if (problems.length) {
	console.error(`FAILED: ${problems.join('; ')}`);
	process.exit(1);
}
for (const v of Object.keys(counts).sort())
	console.log(`${v} ${counts[v]}`);
console.log(`subtests ${subtests}`);
