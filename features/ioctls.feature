@area:ioctls
Feature: Ioctls that report on a Ksock and its bus
  Besides sending and receiving, a Ksock answers questions through ioctls. KSOCKID gives its own
  id, the same id others see as the sender of its messages. LASTSENT gives the id of the last
  message it sent. UNREPLIEDTO counts the requests it has taken and still has to answer.
  REPLIER names the Ksock bound as replier to an exact name string. VERBOSE switches the bus's
  logging. RESET is accepted and does nothing. NEXTMSG says whether it made a message current,
  and LENLEFT how much of that message is still unread, exactly, wherever reading stopped.
  Request numbers the device does not know are refused with ENOTTY, and an argument pointer it
  cannot use with EFAULT.

  @IOC-01 @spec:ioctls @extended
  Scenario: KSOCKID gives each Ksock its own id, never 0, and that is the sender others see
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    Then the Ksock ids of "alice", "bob" and "carol" are all different and none is 0
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then "bob" receives "$.Sensors.Kitchen" with:
      | from | alice |

  @IOC-02 @spec:ioctls @extended
  Scenario: LASTSENT gives the id SEND returned for the latest message sent
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" has sent an announcement "$.Sensors.Hall"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then LASTSENT of "alice" is the id SEND returned
    And "bob" receives "$.Sensors.Kitchen" with:
      | id | alice's last message |

  @IOC-02 @spec:ioctls @extended
  Scenario: LASTSENT is not changed by what other Ksocks send or by what the Ksock receives
    Given the Ksocks "alice" and "bob"
    And "alice" listens to "$.Sensors.Hall"
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    And "bob" has sent an announcement "$.Sensors.Hall"
    When "alice" reads the next message
    Then LASTSENT of "alice" is still the id of its previous message

  @IOC-03 @spec:ioctls @extended
  Scenario: UNREPLIEDTO counts a request from the moment the replier takes it until it is answered
    Given the Ksocks "alice" and "bob"
    And "bob" is the replier for "$.Lights.Kitchen"
    And "alice" has sent a request "$.Lights.Kitchen"
    Then "bob" still owes 0 replies
    When "bob" reads the next message
    Then "bob" still owes 1 reply
    When "bob" replies to the request it read
    Then it succeeds
    And "bob" still owes 0 replies

  @IOC-03 @spec:ioctls @extended
  Scenario: A listener's copy of a request is not counted by UNREPLIEDTO
    Given the Ksocks "alice", "bob" and "carol"
    And "bob" is the replier for "$.Lights.Kitchen"
    And "carol" listens to "$.Lights.Kitchen"
    And "alice" has sent a request "$.Lights.Kitchen"
    When "carol" reads the next message
    Then "carol" still owes 0 replies

  @IOC-04 @spec:ioctls @extended
  Scenario: REPLIER names the Ksock bound as replier to a name
    Given the Ksocks "alice" and "bob"
    And "bob" is the replier for "$.Lights.Kitchen"
    When "alice" asks REPLIER who is bound to "$.Lights.Kitchen"
    Then it returns the Ksock id of "bob"

  @IOC-04 @spec:ioctls @extended
  Scenario: REPLIER answers 0 for a name that has listeners but no replier
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Lights.Kitchen"
    When "alice" asks REPLIER who is bound to "$.Lights.Kitchen"
    Then it returns 0

  @IOC-04 @spec:ioctls @extended
  Scenario Outline: REPLIER itself returns <returned> when <case>
    Given the Ksocks "alice" and "bob"
    And "bob" <binding> "$.Lights.Kitchen"
    When "alice" calls REPLIER for "$.Lights.Kitchen"
    Then the REPLIER call returned <returned> and named <named>

    Examples:
      | case                   | binding            | returned | named     |
      | a replier is bound     | is the replier for | 1        | "bob"     |
      | only a listener is     | listens to         | 0        | no Ksock  |

  @IOC-05 @spec:ioctls @extended
  Scenario Outline: REPLIER looks up "<asked>" as written, without resolving it against "<bound>"
    Given the Ksocks "alice" and "bob"
    And "bob" is the replier for "<bound>"
    When "alice" asks REPLIER who is bound to "<asked>"
    Then it returns <answer>

    Examples:
      | bound      | asked            | answer                |
      | $.Lights.* | $.Lights.Kitchen | 0                     |
      | $.Lights.* | $.Lights.*       | the Ksock id of "bob" |
      | $.Lights.% | $.Lights.Kitchen | 0                     |
      | $.Lights.% | $.Lights.%       | the Ksock id of "bob" |
      | $.Lights.% | $.Lights.*       | 0                     |

  @IOC-06 @spec:ioctls @extended
  Scenario Outline: REPLIER refuses a name of <length> bytes with ENAMETOOLONG
    Given a Ksock "alice"
    When "alice" asks REPLIER who is bound to a name of <length> bytes
    Then it fails with ENAMETOOLONG

    Examples:
      | length |
      | 0      |
      | 1001   |
      | 2000   |

  @IOC-06 @spec:ioctls @extended
  Scenario Outline: REPLIER does not judge the syntax of "<name>" and simply finds no replier
    Given a Ksock "alice"
    When "alice" asks REPLIER who is bound to "<name>"
    Then it returns 0

    Examples:
      | name              |
      | Fred              |
      | $.Lights..Kitchen |
      | $.Lights.Kitchen. |
      | $                 |

  @IOC-06 @spec:ioctls @extended
  Scenario: REPLIER accepts a name of exactly 1000 bytes
    Given a Ksock "alice"
    When "alice" asks REPLIER who is bound to a name of 1000 bytes
    Then it returns 0

  @IOC-07 @spec:ioctls @diagnostic
  Scenario: VERBOSE answers each switch with the previous state
    Given a Ksock "alice"
    And "alice" has set verbose logging with argument 0
    Then successive verbose logging calls on "alice" return:
      | argument   | returns |
      | 0xFFFFFFFF | 0       |
      | 1          | 0       |
      | 0xFFFFFFFF | 1       |
      | 1          | 1       |
      | 0          | 1       |
      | 0xFFFFFFFF | 0       |

  @IOC-07 @spec:ioctls @diagnostic
  Scenario: VERBOSE switched on through one Ksock is on for the whole bus
    Given the Ksocks "alice" and "bob"
    And "alice" has set verbose logging with argument 0
    When "alice" sets verbose logging with argument 1
    Then it returns 0
    And verbose logging is on as seen by "bob"

  @IOC-07 @spec:ioctls @diagnostic
  Scenario Outline: VERBOSE refuses the argument <argument> and keeps its state
    Given a Ksock "alice"
    And "alice" has set verbose logging with argument 1
    When "alice" sets verbose logging with argument <argument>
    Then it fails with EINVAL
    And verbose logging is on as seen by "alice"

    Examples:
      | argument   |
      | 2          |
      | 0xFFFFFFFE |

  @IOC-08 @spec:ioctls @extended
  Scenario: RESET leaves a Ksock's queue, limit and bindings as they were
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "bob" is the replier for "$.Lights.Kitchen"
    And the queue of "bob" is limited to 5 messages
    And "alice" has sent an announcement "$.Sensors.Kitchen"
    When "bob" calls RESET
    Then it succeeds
    And "bob" has 1 message queued
    And the queue limit of "bob" is 5
    And "bob" is the replier bound to "$.Lights.Kitchen"
    And "bob" receives "$.Sensors.Kitchen"

  @IOC-08 @spec:ioctls @extended
  Scenario: RESET leaves a half-written message to be finished and sent
    Given the Ksocks "alice" and "bob"
    And "bob" is the replier for "$.Lights.Kitchen"
    And "alice" has written the first 20 bytes of a request "$.Lights.Kitchen"
    When "alice" calls RESET
    Then it succeeds
    When "alice" writes the rest of that request and sends it
    Then it succeeds
    And "bob" receives "$.Lights.Kitchen" with:
      | from | alice |

  @IOC-09 @spec:ioctls @extended @needs:raw-ioctl
  Scenario Outline: The request number of <request> is refused with ENOTTY
    Given a Ksock "alice"
    When "alice" issues the ioctl request number of <request>
    Then it fails with ENOTTY
    And KSOCKID of "alice" still gives its id

    Examples:
      | request                                   |
      | KSOCKID with type 'j' instead of 'k'      |
      | number 19 of type 'k', one past the last  |
      | number 255 of type 'k'                    |
      | number 0 of type 'k'                      |
      | KSOCKID with an argument size of 1        |
      | KSOCKID declared as writing to the device |
      | MAXMSGS declared as only reading from it  |

  @IOC-10 @spec:ioctls @extended @needs:bad-pointers
  Scenario Outline: <ioctl> given an argument pointer it cannot use fails with EFAULT
    Given a Ksock "alice"
    When "alice" calls <ioctl> with an unusable argument pointer
    Then it fails with EFAULT
    And KSOCKID of "alice" still gives its id

    Examples:
      | ioctl              |
      | KSOCKID            |
      | REPLIER            |
      | NEXTMSG            |
      | LENLEFT            |
      | LASTSENT           |
      | MAXMSGS            |
      | NUMMSGS            |
      | UNREPLIEDTO        |
      | MSGONLYONCE        |
      | VERBOSE            |
      | REPORTREPLIERBINDS |
      | MAXMSGSIZE         |

  @IOC-10 @spec:ioctls @extended @needs:bad-pointers
  Scenario: MAXMSGS given an argument pointer it cannot use leaves the queue limit alone
    Given a Ksock "alice"
    And the queue of "alice" is limited to 7 messages
    When "alice" calls MAXMSGS with an unusable argument pointer
    Then it fails with EFAULT
    And the queue limit of "alice" is 7

  @IOC-11 @spec:ioctls @extended @needs:raw-ioctl
  Scenario: NEXTMSG returns 1 when it makes a message current
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "21.5C"           |
    When "bob" issues NEXTMSG by its request number
    Then it returns 1
    And LENLEFT of "bob" is the entire length of a message "$.Sensors.Kitchen" with 5 data bytes

  @IOC-11 @spec:ioctls @extended @needs:raw-ioctl
  Scenario: NEXTMSG returns 0 when the queue is empty
    Given a Ksock "bob"
    When "bob" issues NEXTMSG by its request number
    Then it returns 0
    And LENLEFT of "bob" is 0

  @IOC-12 @spec:ioctls @extended
  Scenario Outline: After <count> bytes of the header and name have been read, LENLEFT gives the rest
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "21.5C"           |
    When "bob" takes the next message and reads <count> bytes of it
    Then LENLEFT of "bob" is the length NEXTMSG reported less the bytes read so far

    Examples:
      | count |
      | 0     |
      | 1     |
      | 40    |
      | 71    |

  @IOC-12 @spec:ioctls @extended
  Scenario Outline: After the header and <count> bytes of the name have been read, LENLEFT gives the rest
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "21.5C"           |
    When "bob" takes the next message and reads the header and <count> bytes of the name
    Then LENLEFT of "bob" is the length NEXTMSG reported less the bytes read so far

    Examples:
      | count |
      | 1     |
      | 9     |
      | 17    |
      | 19    |

  @IOC-12 @spec:ioctls @extended
  Scenario: LENLEFT is 0 once the last byte of the current message has been read
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "21.5C"           |
    And "bob" has read the next message
    Then LENLEFT of "bob" is 0

  @IOC-12 @spec:ioctls @extended
  Scenario: LENLEFT is 0 when no message is current
    Given a Ksock "bob"
    Then LENLEFT of "bob" is 0

  @IOC-13 @spec:ioctls @extended
  Scenario Outline: With <count> data bytes read, LENLEFT still gives exactly what remains
    Given the Ksocks "alice" and "bob"
    And "bob" listens to "$.Sensors.Kitchen"
    And "alice" has sent the message:
      | name | $.Sensors.Kitchen |
      | data | "0123456789"      |
    When "bob" takes the next message and reads the header, the padded name and <count> bytes of data
    Then LENLEFT of "bob" is the length NEXTMSG reported less the bytes read so far

    @spec-over-module
    Examples: the read position inside the data
      | count |
      | 0     |
      | 1     |
      | 5     |
      | 9     |

    Examples: the read position past the data
      | count |
      | 10    |
