// The frame shared by pending and decided approvals.
import styled from 'styled-components';
import { getColor } from '@zendeskgarden/react-theming';

export const CardFrame = styled.article`
  margin: 0 0 ${({ theme }) => theme.space.sm};
  padding: ${({ theme }) => theme.space.sm};
  border: ${({ theme }) => theme.borders.sm} ${({ theme }) => getColor({ theme, variable: 'border.default' })};
  border-radius: ${({ theme }) => theme.borderRadii.md};
  background-color: ${({ theme }) => getColor({ theme, variable: 'background.raised' })};
  overflow-wrap: anywhere;
`;

export const CardRow = styled.div`
  display: flex;
  flex-wrap: wrap;
  align-items: center;
  gap: ${({ theme }) => theme.space.xs};
`;

export const ButtonRow = styled(CardRow)`
  margin-top: ${({ theme }) => theme.space.sm};
`;

export const Subtle = styled.div`
  margin-top: ${({ theme }) => theme.space.xxs};
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.subtle' })};
  font-size: ${({ theme }) => theme.fontSizes.sm};
  line-height: ${({ theme }) => theme.lineHeights.sm};
`;

export const SectionLabel = styled.div`
  margin-top: ${({ theme }) => theme.space.sm};
  color: ${({ theme }) => getColor({ theme, variable: 'foreground.subtle' })};
  font-size: ${({ theme }) => theme.fontSizes.xs};
  font-weight: ${({ theme }) => theme.fontWeights.semibold};
  text-transform: uppercase;
  letter-spacing: 0.02em;
`;

export const ActionName = styled.code`
  font-family: ${({ theme }) => theme.fonts.mono};
  font-size: ${({ theme }) => theme.fontSizes.sm};
  font-weight: ${({ theme }) => theme.fontWeights.semibold};
`;
