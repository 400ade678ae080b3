package io.interestfl.interest.model;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ND4J's start-up warnings about its own op tables (nothing a user can act on) are off, while warnings of every
 * other logger still show: the line in simplelogger.properties is present and scoped to those two loggers.
 */
class QuietNd4jLogTest {
    @Test
    void nd4jOpTableWarningsAreOffAndOthersStayOn() {
        assertFalse(LoggerFactory.getLogger("org.nd4j.autodiff.functions.DifferentialFunction").isWarnEnabled());
        assertFalse(LoggerFactory.getLogger("org.nd4j.imports.converters.ImportClassMapping").isWarnEnabled());
        assertTrue(LoggerFactory.getLogger("org.nd4j.linalg.factory.Nd4j").isWarnEnabled());
        assertTrue(LoggerFactory.getLogger(InterestModel.class).isWarnEnabled());
    }
}
