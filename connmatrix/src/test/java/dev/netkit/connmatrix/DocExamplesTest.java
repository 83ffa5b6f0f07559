package dev.netkit.connmatrix;

import dev.netkit.testkit.ModuleDocExamplesTest;

/** The Java examples of connmatrix's README and package documentation compile (testkit's Snippets rules). */
class DocExamplesTest extends ModuleDocExamplesTest {
}
