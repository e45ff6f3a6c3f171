/**
 * Every deployed function, by the name clients call it with. Each trigger is thin: see
 * `callables/` (onCall), and the domain folders for the logic they call.
 */
export { enrichShowCallable as enrichShow, enrichLibraryCallable as enrichLibrary } from "./callables/enrichment";
