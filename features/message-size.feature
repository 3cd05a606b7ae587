@area:message-size
Feature: Message size limit
  Each bus has one limit on the size of a message, counted as the length of its entire form:
  header, name with its NUL and padding, padded data and the final end guard. The limit starts
  at a default fixed when the device was built and may be changed with MAXMSGSIZE to anything
  from 100 bytes up to an absolute maximum, also fixed at build time. A message longer than the
  limit is refused by write() with EMSGSIZE as soon as its header declares the lengths, and is
  thrown away. The limit is only checked then: changing it later does not affect a message
  already written.

  The build's limits are what the run is told (the adapter options defaultMaxMessageSize and
  absoluteMaxMessageSize), else those of the module's own out-of-tree build: 409600 bytes for
  both. The device is checked against them, never against itself.

  Background:
    Given the Ksocks "alice" and "bob"

  @SZ-01 @spec:ioctls @extended
  Scenario: MAXMSGSIZE 0 reports the limit a clean bus starts with
    When "alice" queries MAXMSGSIZE
    Then the size limit reported is the build's default

  @SZ-01 @SZ-07 @spec:ioctls @extended @needs:new-device
  Scenario: A device made by NEWDEVICE starts with the build's limits, whatever other buses were set to
    Given "alice" has set MAXMSGSIZE to 500
    And "alice" has created a new device
    And a Ksock "carol" on the new device
    When "carol" queries MAXMSGSIZE
    Then the size limit reported is the build's default
    When "carol" queries the absolute maximum MAXMSGSIZE
    Then the size limit reported is the build's absolute maximum

  @SZ-01 @spec:ioctls @extended
  Scenario: MAXMSGSIZE 0 reports the limit last set
    Given "alice" has set MAXMSGSIZE to 500
    When "alice" queries MAXMSGSIZE
    Then the size limit reported is 500

  @SZ-02 @spec:ioctls @extended
  Scenario: MAXMSGSIZE 1 reports the absolute maximum
    When "alice" queries the absolute maximum MAXMSGSIZE
    Then the size limit reported is the build's absolute maximum
    And MAXMSGSIZE through "bob" is still the build's default

  @SZ-03 @spec:ioctls @extended
  Scenario Outline: Any limit from 100 bytes to the absolute maximum may be set
    When "alice" sets MAXMSGSIZE to <value>
    Then the size limit reported is <value>
    And MAXMSGSIZE through "alice" is now <value>

    Examples:
      | value                |
      | 100                  |
      | 101                  |
      | 512                  |
      | the absolute maximum |

  @SZ-04 @spec:ioctls @extended
  Scenario Outline: A limit below 100 bytes or above the absolute maximum is refused
    When "alice" sets MAXMSGSIZE to <value>
    Then it fails with EINVAL
    And MAXMSGSIZE through "alice" is still the build's default

    Examples:
      | value                    |
      | 2                        |
      | 50                       |
      | 99                       |
      | the absolute maximum + 1 |
      | 4294967295               |

  @SZ-05 @spec:limits @extended
  Scenario: The limit set through one Ksock governs every Ksock on the bus
    Given "alice" has set MAXMSGSIZE to 200
    When "bob" writes an entire message "$.Fred" whose entire length is 4 bytes over the size limit
    Then it fails with EMSGSIZE
    And MAXMSGSIZE through "bob" is now 200

  @SZ-06 @spec:limits @extended
  Scenario: A message exactly as long as the limit is accepted
    Given a Ksock "carol"
    And "carol" listens to "$.Fred"
    And "alice" has set MAXMSGSIZE to 200
    When "bob" writes an entire message "$.Fred" whose entire length is the size limit
    Then it succeeds
    When "bob" sends what it has written
    Then it succeeds
    And "carol" receives "$.Fred"

  @SZ-06 @spec:limits @extended
  Scenario Outline: A message longer than the limit is refused when written and thrown away
    Given a Ksock "carol"
    And "carol" listens to "$.Fred"
    And "alice" has set MAXMSGSIZE to 200
    When "bob" writes <form> message "$.Fred" whose entire length is 4 bytes over the size limit
    Then it fails with EMSGSIZE
    And "bob" has nothing left to send
    And "carol" receives nothing

    Examples: entire form
      | form      |
      | an entire |

    @needs:pointy-messages
    Examples: pointy form
      | form     |
      | a pointy |

  @SZ-06 @spec:limits @extended
  Scenario: A message exactly as long as the absolute maximum is accepted
    Given a Ksock "carol"
    And "carol" listens to "$.Fred"
    And "alice" has set MAXMSGSIZE to the absolute maximum
    When "bob" writes an entire message "$.Fred" whose entire length is the build's absolute maximum
    Then it succeeds
    When "bob" sends what it has written
    Then it succeeds
    And "carol" receives "$.Fred"

  @SZ-06 @spec:limits @extended
  Scenario Outline: Under the smallest limit, 100 bytes, a message of <length> bytes <verdict>
    Given "alice" has set MAXMSGSIZE to 100
    When "bob" writes an entire message "$.Fred" whose entire length is <length> bytes
    Then <outcome>

    Examples:
      | length | verdict     | outcome                |
      | 100    | is accepted | it succeeds            |
      | 104    | is refused  | it fails with EMSGSIZE |

  @SZ-06 @spec:limits @extended
  Scenario: A message over the default limit is refused without anyone changing the limit
    When "alice" writes an entire message "$.Fred" whose entire length is 4 bytes over the size limit
    Then it fails with EMSGSIZE
    And "alice" has nothing left to send

  @SZ-07 @spec:limits @extended
  Scenario: Setting the limit leaves the absolute maximum the build's
    Given "alice" has set MAXMSGSIZE to 100
    When "bob" queries the absolute maximum MAXMSGSIZE
    Then the size limit reported is the build's absolute maximum

  @SZ-08 @spec:limits @extended
  Scenario Outline: The size measured counts the padding of name and data and the final guard
    Given "bob" has set MAXMSGSIZE to the entire length of a message "$.Fred" with 20 data bytes
    When "alice" writes an entire message "<name>" with <data> data bytes
    Then <outcome>

    Examples:
      | name     | data | outcome                |
      | $.Fred   | 16   | it succeeds            |
      | $.Fred   | 17   | it succeeds            |
      | $.Fred   | 20   | it succeeds            |
      | $.Fred   | 21   | it fails with EMSGSIZE |
      | $.Fre    | 20   | it succeeds            |
      | $.Fredd  | 20   | it succeeds            |
      | $.Freddy | 20   | it fails with EMSGSIZE |
      | $.Freddy | 16   | it succeeds            |

  @SZ-09 @spec:limits @extended
  Scenario: Lowering the limit does not stop a message already written
    Given a Ksock "carol"
    And "carol" listens to "$.Fred"
    And "alice" has written an entire message "$.Fred" with 200 data bytes
    And "bob" has set MAXMSGSIZE to 100
    When "alice" sends what it has written
    Then it succeeds
    And "carol" receives "$.Fred" with:
      | data_len | 200 |
