// One rule for every CSV we write, in the console too.
export { neutraliseCell } from '../../contracts/csv-cell.js';
