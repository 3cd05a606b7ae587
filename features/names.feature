@area:names
Feature: Message names
  Every message and every binding has a name such as "$.Sensors.Kitchen": the two bytes "$."
  followed by one or more words of letters and digits, separated by single dots. Names are
  between 3 and 1000 bytes long and case matters. Only a binding may end in a wildcard word
  ("*" or "%"); a message always has a concrete name.

  A device refuses a bad name given to BIND or UNBIND with EBADMSG (ENAMETOOLONG when it is too
  long). A message with a bad name is refused with EBADMSG too, but when depends on its form:
  an entire message already while its name bytes are written, a pointy message only at SEND.
  Either way the half-sent message is thrown away and nobody receives anything.

  Bytes in names are single bytes: "\xE9" below stands for the one byte 0xE9.

  Background:
    Given the Ksocks "alice" and "bob"

  @NAME-01 @spec:message-names @core @promise:names
  Scenario Outline: A binding name that does not begin with "$." is refused
    When "alice" binds as a listener to "<name>"
    Then it fails with EBADMSG

    Examples:
      | name       |
      | Fred       |
      | $x         |
      | $Fred      |
      | .Fred      |
      | #.Fred     |
      | $$.Fred    |

  @NAME-01 @spec:message-names @core @promise:names
  Scenario: A message named without the "$." prefix is refused while it is written
    Given "bob" listens to "$.*"
    When "alice" writes an entire message named "Sensors.Kitchen"
    Then it fails with EBADMSG
    And "alice" has nothing left to send
    And "bob" receives nothing

  @NAME-02 @spec:message-names @core @promise:names
  Scenario Outline: A binding name shorter than three bytes is refused
    When "alice" binds as a listener to the bytes "<name>"
    Then it fails with EBADMSG

    Examples:
      | name |
      | $    |
      | $.   |

  @NAME-02 @spec:message-names @core @promise:names
  Scenario: Binding with an empty name is refused
    When "alice" binds as a listener with a name_len of 0
    Then it fails with EBADMSG

  @NAME-03 @spec:message-names @core @promise:names
  Scenario Outline: A word may not contain punctuation, spaces or other non-alphanumeric bytes
    When "alice" binds as a listener to the bytes "<name>"
    Then it fails with EBADMSG

    Examples: ASCII punctuation and white space
      | name              |
      | $.Fred-Jim        |
      | $.Fred Jim        |
      | $.Fred's          |
      | $.Fred#1          |
      | $.Fred_Jim        |
      | $.Sensors.Kitchen! |
      | $.Tab\x09Name     |

    Examples: bytes that the kernel's isalnum() does not count as letters
      | name          |
      | $.Caf\xC3\xA9 |
      | $.a\xD7b      |
      | $.a\xF7b      |
      | $.a\xA9b      |
      | $.a\x80b      |
      | $.a\xBFb      |

  @NAME-03 @spec:message-names @core @promise:names
  Scenario Outline: Latin-1 letter bytes count as alphanumeric in names
    Given "bob" listens to the bytes "<name>"
    When "alice" sends an announcement named by the bytes "<name>"
    Then it succeeds
    And "bob" receives the message named by the bytes "<name>"

    Examples:
      | name               |
      | $.Caf\xE9          |
      | $.\xC0\xDE\xDF     |
      | $.\xD8.\xF8\xFF    |
      | $.Stra\xDFe.17     |

  @NAME-04 @spec:message-names @core @promise:names
  Scenario Outline: A name may not end in a dot
    When "alice" binds as a listener to "<name>"
    Then it fails with EBADMSG

    Examples:
      | name     |
      | $.Fred.  |
      | $.Fred.. |
      | $.A.B.   |

  @NAME-05 @spec:message-names @core @promise:names
  Scenario Outline: A name may not contain an empty word
    When "alice" binds as a listener to "<name>"
    Then it fails with EBADMSG

    Examples:
      | name          |
      | $.Fred..Jim   |
      | $.Fred...Jim  |
      | $..x          |
      | $...x         |

  @NAME-06 @spec:message-names @core @promise:names
  Scenario Outline: Names of one or many words, long words and digits are valid
    Given "bob" listens to "<name>"
    When "alice" sends an announcement "<name>"
    Then it succeeds
    And "bob" receives "<name>"

    Examples:
      | name                                    |
      | $.Fred                                  |
      | $.Fred.Jim.Fred.Jim.MoreNames.And.More  |
      | $.QuiteLongWordsAreAllowedInNames       |
      | $.Question17                            |
      | $.17                                    |
      | $.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p       |

  @NAME-07 @spec:message-names @core @promise:names
  Scenario: Names differing only in case are different names for repliers
    Given "alice" is the replier for "$.This.is.a.different.name"
    When "bob" binds as replier to "$.THIS.is.a.different.name"
    Then it succeeds

  @NAME-07 @spec:message-names @core @promise:names
  Scenario: A message reaches only the bindings whose name has the same case
    Given a Ksock "carol"
    And "bob" listens to "$.Sensors.Kitchen"
    And "carol" listens to "$.sensors.kitchen"
    When "alice" sends an announcement "$.Sensors.Kitchen"
    Then "bob" receives "$.Sensors.Kitchen"
    And "carol" receives nothing

  @NAME-08 @spec:message-names @core @promise:names
  Scenario Outline: A wildcard may be the whole last word of a binding name
    When "alice" binds as a listener to "<name>"
    Then it succeeds

    Examples:
      | name     |
      | $.Fred.* |
      | $.Fred.% |
      | $.*      |
      | $.%      |
      | $.A.B.C.* |

  @NAME-08 @spec:message-names @core @promise:names
  Scenario Outline: A wildcard anywhere but as the whole last word is refused
    When "alice" binds as a listener to "<name>"
    Then it fails with EBADMSG

    Examples:
      | name       |
      | $.Fred*    |
      | $.Fred%    |
      | $.*.Fred   |
      | $.%.Fred   |
      | $.Fred.**  |
      | $.Fred.*%  |
      | $.%x       |
      | $.x*       |

  @NAME-09 @spec:message-names @core @promise:names
  Scenario: A binding name of exactly 1000 bytes is accepted
    When "alice" binds as a listener to a valid name of 1000 bytes
    Then it succeeds

  @NAME-09 @spec:message-names @core @promise:names
  Scenario: A binding name of 1001 bytes is too long
    When "alice" binds as a listener to a valid name of 1001 bytes
    Then it fails with ENAMETOOLONG

  @NAME-09 @spec:message-names @core @promise:names
  Scenario: The length of a binding name is checked before its syntax
    When "alice" binds as a listener to a malformed name of 1001 bytes
    Then it fails with ENAMETOOLONG

  @NAME-10 @spec:message-header @core @promise:names
  Scenario: A message header declaring a name longer than 1000 bytes is refused when written
    Given "bob" listens to "$.*"
    When "alice" writes the header of an entire message "$.Fred" with name_len 1001
    Then it fails with ENAMETOOLONG
    And "alice" has nothing left to send
    And "bob" receives nothing

  @NAME-10 @spec:message-header @core @promise:names
  Scenario: A message whose name is exactly 1000 bytes long is written, sent and delivered
    Given "bob" listens to the valid name of 1000 bytes
    And "alice" has raised the size limit to fit a name of 1000 bytes with 0 data bytes
    When "alice" sends an announcement with the valid name of 1000 bytes
    Then it succeeds
    And "bob" receives the message with the valid name of 1000 bytes

  @NAME-11 @spec:message-header @core @promise:names
  Scenario: A message header declaring an empty name is refused when written
    Given "bob" listens to "$.*"
    When "alice" writes the header of an entire message "$.Fred" with name_len 0
    Then it fails with EINVAL
    And "alice" has nothing left to send
    And "bob" receives nothing

  @NAME-12 @spec:message-names @core @promise:names
  Scenario Outline: An entire message named with a wildcard is refused as soon as its name is written
    Given "bob" listens to "$.Sensors.*"
    When "alice" writes the header and padded name of an entire message "<name>"
    Then it fails with EBADMSG
    And "alice" has nothing left to send
    And "bob" receives nothing

    Examples:
      | name           |
      | $.Sensors.*    |
      | $.Sensors.%    |

  @NAME-12 @spec:message-names @core @promise:names @needs:pointy-messages
  Scenario: A pointy message named with a wildcard is refused at SEND
    Given "bob" listens to "$.Sensors.*"
    When "alice" writes a pointy message "$.Sensors.*"
    Then it succeeds
    When "alice" sends what it has written
    Then it fails with EBADMSG
    And "alice" has nothing left to send
    And "bob" receives nothing

  @NAME-13 @spec:message-names @core @promise:names
  Scenario Outline: An entire message with a malformed name is refused as soon as its name is written
    Given "bob" listens to "$.*"
    When "alice" writes the header and padded name of an entire message "<name>"
    Then it fails with EBADMSG
    And "alice" has nothing left to send
    And "bob" receives nothing

    Examples:
      | name               |
      | $.Sensors..Kitchen |
      | $.Sensors.         |
      | $.Sensors-Kitchen  |
      | $.                 |

  @NAME-13 @spec:message-names @core @promise:names @needs:pointy-messages
  Scenario: A pointy message with a malformed name is refused at SEND
    Given "bob" listens to "$.*"
    When "alice" writes a pointy message "$.Sensors..Kitchen"
    Then it succeeds
    When "alice" sends what it has written
    Then it fails with EBADMSG
    And "alice" has nothing left to send
    And "bob" receives nothing

  @NAME-14 @spec:message-names @extended
  Scenario: Nobody may be the replier for "$.KBUS.ReplierBindEvent"
    When "alice" binds as replier to "$.KBUS.ReplierBindEvent"
    Then it fails with EBADMSG
    And no replier is bound to "$.KBUS.ReplierBindEvent"

  @NAME-14 @spec:message-names @extended
  Scenario: Anyone may listen to "$.KBUS.ReplierBindEvent"
    When "alice" binds as a listener to "$.KBUS.ReplierBindEvent"
    Then it succeeds

  @NAME-14 @spec:message-names @extended
  Scenario: A wildcard replier binding covering "$.KBUS." is allowed
    When "alice" binds as replier to "$.KBUS.*"
    Then it succeeds
    And "alice" is the replier bound to "$.KBUS.*"
