/**
 * One line after `npm install` (prepare): npm itself may run on an older Node, whose engine warnings .npmrc keeps
 * quiet, but every npm script (start, test, npx) runs on Node 24 from node_modules (the `node` package).
 */
const npmNode = /\bnode\/(v[\d.]+)/.exec(process.env.npm_config_user_agent ?? '')?.[1];
const shell = npmNode && npmNode !== process.version ? `; npm itself ran on your shell's Node ${npmNode}` : '';
process.stdout.write(
  `Verigate: npm scripts (npm start, npm test, npx) run on Node ${process.version} from node_modules${shell}.\n`,
);
