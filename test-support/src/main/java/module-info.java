/**
 * What every module's tests share: {@link dev.halt.testsupport.SkipLog}, the JUnit Platform
 * listener that records each skip with its reason for bin/test. It exports nothing; the
 * platform finds the listener as a service (here on the module path, through
 * {@code META-INF/services} on the class path, where Surefire puts it).
 */
module dev.halt.testsupport {
    requires org.junit.platform.engine;
    requires org.junit.platform.launcher;

    provides org.junit.platform.launcher.TestExecutionListener with dev.halt.testsupport.SkipLog;
}
