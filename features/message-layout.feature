@area:message-layout
Feature: Message layout on the wire
  A message is written to a Ksock as bytes and read back as bytes. It starts with a fixed header
  (88 bytes with 8-byte pointers, 72 with 4-byte pointers) that begins with the start guard
  0x7375624B ("Kbus" in memory) and ends with the end guard 0x4B627573 ("subK").

  A writer may use either of two forms. An "entire" message has NULL name and data pointers and
  carries, after the header, the name with its NUL padded with zeros to a multiple of 4 bytes,
  the data padded to a multiple of 4 bytes, and a final end guard. A "pointy" message is the
  header alone, whose pointers the device follows when the message is sent. Readers always get
  the entire form, with every padding byte and alignment hole zero.

  A message may arrive in pieces of any size. Once its header is complete the device checks it,
  and refuses a bad header at once from write(); the half-written message is then thrown away,
  so a following SEND finds nothing to send. Nothing is visible to anyone before SEND.

  Background:
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.*"

  @LAY-01 @spec:message-header @extended
  Scenario: A message with a wrong start guard is refused when its header is written
    When "alice" writes the header of an entire message "$.Fred" with a wrong start guard
    Then it fails with EINVAL
    And "alice" has nothing left to send
    And "bob" receives nothing

  @LAY-02 @spec:message-header @extended
  Scenario: A message whose header ends with a wrong end guard is refused when the header is written
    When "alice" writes the header of an entire message "$.Fred" with a wrong header end guard
    Then it fails with EINVAL
    And "alice" has nothing left to send
    And "bob" receives nothing

  @LAY-03 @spec:message-implementation @extended
  Scenario: An entire message with a wrong final end guard is refused when its last word arrives
    Given "alice" has written all but the last 4 bytes of an entire message "$.Fred" with a wrong final end guard
    When "alice" writes the rest of the message
    Then it fails with EINVAL
    And "alice" has nothing left to send
    And "bob" receives nothing

  @LAY-04 @spec:message-implementation @extended @needs:pointy-messages
  Scenario: A pointy message is complete once its header is written and is sent from its buffers
    When "alice" writes a pointy message "$.Sensors.Kitchen" with data "21.5C"
    Then the write accepted exactly one header's worth of bytes
    When "alice" sends what it has written
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | data | "21.5C" |
      | from | alice   |

  @LAY-04 @spec:message-implementation @extended @needs:pointy-messages
  Scenario: SEND of a pointy message whose name cannot be fetched fails with EFAULT
    When "alice" writes a pointy message "$.Sensors.Kitchen" whose name pointer is unusable
    Then it succeeds
    When "alice" sends what it has written
    Then it fails with EFAULT
    And "alice" has nothing left to send
    And "bob" receives nothing

  @LAY-05 @spec:message-implementation @core
  Scenario: An entire message carries its name, data and final guard after the header
    When "alice" writes an entire message "$.Sensors.Kitchen" with data "21.5C"
    Then the write accepted all of the message's bytes
    When "alice" sends what it has written
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | data | "21.5C" |
      | from | alice   |

  @LAY-06 @spec:message-implementation @extended
  Scenario Outline: Name and data pointers that contradict each other are refused when the header is written
    When "alice" writes an entire message "$.Fred" with data "abcd" and <fault>
    Then it fails with EINVAL
    And "alice" has nothing left to send
    And "bob" receives nothing

    Examples:
      | fault                                          |
      | a data pointer but no name pointer             |
      | a name pointer but no data pointer             |

  @LAY-06 @spec:message-implementation @extended
  Scenario: A header with a data pointer but no data is refused when written
    When "alice" writes an entire message "$.Fred" with a data pointer but no data
    Then it fails with EINVAL
    And "alice" has nothing left to send
    And "bob" receives nothing

  @LAY-07 @spec:message-implementation @extended @promise:data-untouched
  Scenario: Padding bytes a writer fills with junk are ignored and read back as zeros
    When "alice" writes an entire message "$.Fred" with data "abcde" and 0xFF in every padding byte
    Then it succeeds
    When "alice" sends what it has written
    Then it succeeds
    And "bob" receives "$.Fred" with:
      | data | "abcde" |
    And every padding byte of the message "bob" read is zero

  @LAY-08 @spec:message-implementation @extended
  Scenario: A message may be written one byte at a time and stays invisible until SEND
    When "alice" writes an entire message "$.Sensors.Kitchen" with data "21.5C" one byte at a time
    Then every write accepted its whole byte
    And "bob" has 0 messages queued
    When "alice" sends what it has written
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | data | "21.5C" |

  @LAY-08 @spec:message-implementation @extended
  Scenario Outline: A message with <data> data bytes, written one byte at a time, stays invisible after every byte until SEND
    When "alice" writes, one byte at a time, an entire message "$.Fred" with <data> data bytes, "bob" counting its queue after each byte
    Then "bob" had no message queued after any of those bytes
    When "alice" sends what it has written
    Then it succeeds
    And "bob" receives "$.Fred" with:
      | data_len | <data> |

    Examples:
      | data |
      | 0    |
      | 1    |
      | 2    |
      | 3    |
      | 4    |
      | 5    |
      | 6    |
      | 7    |
      | 8    |
      | 9    |

  @LAY-08 @spec:message-implementation @extended
  Scenario Outline: A message may be written in pieces of any size
    When "alice" writes an entire message "$.Sensors.Kitchen" with data "<data>" in pieces of <size> bytes
    Then every write accepted its whole piece
    When "alice" sends what it has written
    Then it succeeds
    And "bob" receives "$.Sensors.Kitchen" with:
      | data | "<data>" |

    Examples:
      | size | data                        |
      | 3    | 21.5C                       |
      | 7    | a little longer than before |
      | 88   | one header-sized piece      |

  @LAY-09 @spec:message-implementation @extended
  Scenario: Writing past the final end guard of an entire message is refused and loses the message
    Given "alice" has written an entire message "$.Fred"
    When "alice" writes 4 more bytes
    Then it fails with EMSGSIZE
    And "alice" has nothing left to send
    And "bob" receives nothing

  @LAY-09 @spec:message-implementation @extended @needs:pointy-messages
  Scenario: Writing past the header of a pointy message is refused and loses the message
    Given "alice" has written a pointy message "$.Fred"
    When "alice" writes 1 more byte
    Then it fails with EMSGSIZE
    And "alice" has nothing left to send
    And "bob" receives nothing

  @LAY-10 @spec:message-implementation @extended
  Scenario Outline: SEND of a partly written message is refused and throws the fragment away
    Given "alice" has written <part> of an entire message "$.Fred"
    When "alice" sends what it has written
    Then it fails with EINVAL
    And "alice" has nothing left to send
    And "bob" receives nothing

    Examples:
      | part                   |
      | the first byte         |
      | the first 40 bytes     |
      | all but the last byte  |

  @LAY-11 @spec:message-implementation @extended
  Scenario: A reader gets the entire form of an entire message
    Given "alice" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "21.5C"           |
    When "bob" takes the next message
    Then NEXTMSG reported the entire length of a message "$.Sensors.Kitchen" with 5 data bytes
    When "bob" reads the rest of the current message
    Then the bytes "bob" read are exactly the entire form of the message it read
    And the message "bob" read last has:
      | name | $.Sensors.Kitchen |
      | data | "21.5C"           |

  @LAY-11 @spec:message-implementation @extended @needs:pointy-messages
  Scenario: A reader gets the entire form of a pointy message
    Given "alice" has written a pointy message "$.Sensors.Kitchen" with data "21.5C"
    And "alice" has sent what it has written
    When "bob" takes the next message
    Then NEXTMSG reported the entire length of a message "$.Sensors.Kitchen" with 5 data bytes
    When "bob" reads the rest of the current message
    Then the bytes "bob" read are exactly the entire form of the message it read
    And the message "bob" read last has:
      | name | $.Sensors.Kitchen |
      | data | "21.5C"           |

  @LAY-12 @spec:message-header @extended
  Scenario: The header is 88 bytes with 8-byte pointers and 72 with 4-byte pointers
    Given "alice" has sent an announcement "$.Fred"
    When "bob" reads the next message
    Then the name in the bytes "bob" read starts at byte 88, or at byte 72 with 4-byte pointers
    And the alignment holes of the header "bob" read are zero

  @LAY-12 @spec:message-implementation @extended
  Scenario: Bytes a writer puts in the header's alignment holes reach readers as zeros
    When "alice" writes an entire message "$.Fred" with data "abcde" and 0xFF in every alignment hole of its header
    Then it succeeds
    When "alice" sends what it has written
    Then it succeeds
    And "bob" receives "$.Fred" with:
      | data | "abcde" |
    And the alignment holes of the header "bob" read are zero

  @LAY-13 @spec:message-content @core @promise:data-untouched
  Scenario: Data is delivered byte for byte, whatever its values
    Given "alice" has sent the message:
      | name | $.Blob              |
      | data | 256 bytes counting up |
    Then "bob" receives "$.Blob" with:
      | data_len | 256                   |
      | data     | 256 bytes counting up |

  @LAY-13 @spec:message-content @core @promise:data-untouched
  Scenario: A message without data has no data section
    Given "alice" has sent an announcement "$.Fred"
    When "bob" reads the next message
    Then the message "bob" read last has:
      | data_len | 0 |
    And the final end guard of the message "bob" read follows the padded name directly

  @LAY-14 @spec:message-content @core @promise:data-untouched
  Scenario Outline: Data around page boundaries arrives intact
    Given "alice" has raised the size limit to fit "$.Big" with <size> data bytes
    When "alice" sends the message:
      | name | $.Big                    |
      | data | <size> bytes counting up |
    Then it succeeds
    And "bob" receives "$.Big" with:
      | data_len | <size>                   |
      | data     | <size> bytes counting up |

    Examples:
      | size  |
      | 2047  |
      | 2048  |
      | 2049  |
      | 4095  |
      | 4096  |
      | 4097  |
      | 8191  |
      | 8192  |
      | 8193  |
      | 65563 |

  @LAY-15 @spec:message-implementation @extended
  Scenario Outline: Pointy and entire messages are measured alike against the size limit
    Given "alice" has set MAXMSGSIZE to 200
    When "alice" writes <form> message "$.Fred" whose entire length is <length>
    Then <outcome>

    Examples: entire form
      | form      | length                      | outcome                |
      | an entire | the size limit              | it succeeds            |
      | an entire | 4 bytes over the size limit | it fails with EMSGSIZE |

    @needs:pointy-messages
    Examples: pointy form
      | form      | length                      | outcome                |
      | a pointy  | the size limit              | it succeeds            |
      | a pointy  | 4 bytes over the size limit | it fails with EMSGSIZE |

  @LAY-15 @spec:message-implementation @extended @needs:pointy-messages
  Scenario: The same message sent in pointy and in entire form is delivered identically
    Given "alice" has written a pointy message "$.Sensors.Kitchen" with data "21.5C"
    And "alice" has sent what it has written
    And "alice" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "21.5C"           |
    Then the two messages "bob" receives differ only in their message ids

  @LAY-16 @spec:message-implementation @extended @needs:pointy-messages
  Scenario: The buffers of a pointy message are read when it is sent, not when it is written
    Given "alice" has written a pointy message "$.Fred" with data "before"
    And "alice" has changed the data buffer of its pointy message to "during"
    When "alice" sends what it has written
    Then it succeeds
    When "alice" changes the data buffer of its pointy message to "after!"
    Then "bob" receives "$.Fred" with:
      | data | "during" |

  @ORD-01 @spec:error-numbers @extended
  Scenario Outline: The first failing header check decides the errno of write()
    When "alice" writes an entire message "<name>" with <faults>
    Then it fails with <errno>
    And "alice" has nothing left to send
    And "bob" receives nothing

    Examples: header checks run in a fixed order
      | name     | faults                                                                   | errno        |
      | $.Fred   | a wrong start guard and name_len 1001                                    | EINVAL       |
      | $.Fred   | a wrong header end guard and name_len 1001                               | EINVAL       |
      | $.Fred   | name_len 0 and more data than MAXMSGSIZE allows                          | EINVAL       |
      | $.Fred   | name_len 1001 and more data than MAXMSGSIZE allows                       | ENAMETOOLONG |
      | $.Fred   | name_len 1001 and a data pointer but no name pointer                     | ENAMETOOLONG |
      | $.Fred   | a data pointer but no name pointer and more data than MAXMSGSIZE allows  | EINVAL       |
      | $.Fred   | both ALL_OR_WAIT and ALL_OR_FAIL and more data than MAXMSGSIZE allows    | EINVAL       |

    Examples: then, for an entire message, its name, final guard and length
      | name     | faults                                                       | errno    |
      | $.Fred.* | more data than MAXMSGSIZE allows                             | EMSGSIZE |
      | $.Fred.* | both ALL_OR_WAIT and ALL_OR_FAIL                             | EINVAL   |
      | $.Fred.* | a wrong final end guard                                      | EBADMSG  |
      | $.Fred   | a wrong final end guard and 4 bytes after the final end guard | EINVAL   |
