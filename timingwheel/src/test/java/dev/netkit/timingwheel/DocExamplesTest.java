package dev.netkit.timingwheel;

import dev.netkit.testkit.ModuleDocExamplesTest;

/** The Java examples of timingwheel's README and package documentation compile (testkit's Snippets rules). */
class DocExamplesTest extends ModuleDocExamplesTest {
}
