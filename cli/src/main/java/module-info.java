/**
 * halt's command line: picocli commands over core's API. It reads core's exported packages only
 * (and {@code halt explain}'s, exported to it alone); the compiler refuses an import of anything
 * else of core's, such as a backend's package.
 */
module dev.halt.cli {
    requires dev.halt.core;
    requires info.picocli;

    // picocli reads the commands' annotated fields and methods by reflection.
    opens dev.halt.cli to info.picocli;
}
