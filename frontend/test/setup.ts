// Every test has the shipped tables at hand (a browser fetches them beside the module).
import { de } from "../src/i18n/de";
import { registerTable } from "../src/i18n";

registerTable("de", de);
